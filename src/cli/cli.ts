import { runCli } from './main.js';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new Error('--password-stdin needs the password on standard input (a pipe or a file)');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
});
process.exitCode = exitCode;
