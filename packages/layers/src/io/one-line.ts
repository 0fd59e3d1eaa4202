/**
 * A parser's message on one line: V8's JSON errors quote the text around the fault,
 * newlines included, and every cnnkit error is one line (the CLI prints it as such).
 */
export function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ');
}
