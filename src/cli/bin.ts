#!/usr/bin/env node
/** The package's bin: runs the command line on this process's arguments and exits with its code. */
import { main } from './main.js';

main(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  cwd: process.cwd(),
}).then((code) => {
  process.exitCode = code;
});
