/**
 * `ds-ars journal | head` closes the pipe while ds-ars still writes: the write fails with EPIPE.
 * Nobody reads any more, so the process ends at once, quietly, as `cat` or `ls` do, instead of
 * dying on an unhandled 'error' event with a stack trace.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
