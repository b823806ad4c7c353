// The part of fs-native-extensions (no types of its own) the data-directory lock uses. On Linux
// these are open-file-description locks (F_OFD_SETLK): held per open file, released by the kernel
// when the last descriptor closes, including when the process dies.
declare module 'fs-native-extensions' {
  export function tryLock(fd: number, options?: { shared?: boolean }): boolean;
  export function unlock(fd: number): void;
}
