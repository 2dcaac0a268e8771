import * as readline from 'node:readline';

/** Asks on the terminal; a secret's echo is suppressed. Without a TTY there is no answer. */
export function terminalPrompt(question: string, secret: boolean): Promise<string | undefined> {
  if (!process.stdin.isTTY) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
    if (secret) out._writeToOutput = (s: string) => void (s.includes(question) ? process.stderr.write(s) : undefined);
    rl.question(`${question}: `, (answer) => {
      rl.close();
      if (secret) process.stderr.write('\n');
      resolve(answer);
    });
  });
}
