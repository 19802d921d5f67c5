/*
 * Lets JDK 25 print C2's code with Debian's disassembler plugin (package libhsdis0-fcml), which
 * exports only the old entry point, decode_instructions; JDK 25 looks up decode_instructions_virtual.
 * HotSpot passes the code's own address as its virtual address, so the old call sees the same bytes.
 *
 *   apt-get install libhsdis0-fcml
 *   gcc -shared -fPIC -O2 -o "$JAVA_HOME/lib/hsdis-amd64.so" benchmarks/hsdis/hsdis-shim.c -ldl
 *
 * then -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,<class>::<method> (docs/performance.md).
 */
#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>

typedef void *(*event_callback)(void *, const char *, void *);
typedef int (*printf_callback)(void *, const char *, ...);
typedef void *(*decode_instructions_fn)(void *, void *, event_callback, void *, printf_callback, void *,
                                         const char *);

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer, uintptr_t length,
                                  event_callback event, void *event_stream, printf_callback printf_fn,
                                  void *printf_stream, const char *options, int newline) {
    static decode_instructions_fn decode;
    (void) buffer;
    (void) length;
    (void) newline;
    if (decode == NULL) {
        void *lib = dlopen("libhsdis.so.0", RTLD_NOW);
        decode = lib == NULL ? NULL : (decode_instructions_fn) dlsym(lib, "decode_instructions");
        if (decode == NULL) {
            return NULL;
        }
    }
    return decode((void *) start_va, (void *) end_va, event, event_stream, printf_fn, printf_stream, options);
}
