// Writing a host's last words: a write that resolves once the text is handed to the OS.

/** Write to a stream and wait until it is handed to the OS (pipes are asynchronous on Windows). */
export function writeAndWait(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    stream.write(text, () => resolve());
  });
}
