/** Whether bytes hold nothing but ASCII whitespace: a command or server that answered with nothing. */
export function isBlank(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0b && byte !== 0x0c) {
      return false;
    }
  }
  return true;
}
