// Per-thread objects that register no C++ thread_local destructor. glibc takes the dynamic
// loader's lock to register one (__cxa_thread_atexit_impl, on an object's first use in a
// thread), so a first use waits out any dlopen running on another thread: during a cold compile
// the JIT back end and libLLVM.so load for ~60 ms while the front end folds constants
// (runtime/jit/warm_up.h). A POSIX thread key destroys these objects instead, without that lock.
#pragma once

#include <pthread.h>

namespace edict::value {

// The calling thread's T, made on first use and destroyed when the thread exits (after its C++
// thread_local objects; the main thread's lives until the process ends). `Tag` tells apart
// objects of the same type.
template <typename Tag, typename T>
class PerThread {
 public:
  static T& Get() {
    if (object_ == nullptr) Make();
    return *object_;
  }

 private:
  static void Make() {
    // Without a key (the process has used up PTHREAD_KEYS_MAX) the object outlives its thread.
    static const bool keyed = pthread_key_create(&key_, &Destroy) == 0;
    object_ = new T();
    if (keyed) pthread_setspecific(key_, object_);
  }

  static void Destroy(void* object) {
    object_ = nullptr;  // a later use in the exiting thread makes a new one, which the key destroys too
    delete static_cast<T*>(object);
  }

  static inline pthread_key_t key_;
  static inline thread_local T* object_ = nullptr;  // trivially destructible: nothing to register
};

}  // namespace edict::value
