/**
 * restify 11 pulls in spdy → http-deceiver, which calls process.binding('http_parser') when loaded, so Node 20 prints
 * DEP0111 on every start. It is harmless and says nothing about this app; let exactly that warning through to no one
 * and every other warning to Node's own printer. Imported before restify (first import of server.ts).
 */
const printers = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning: Error & { code?: string }) => {
  if (warning.name === 'DeprecationWarning' && warning.code === 'DEP0111') return;
  for (const print of printers) print.call(process, warning);
});
