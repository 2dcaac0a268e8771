// Commands that talk to devices and servers or run models. Bundled apart (dist/deviceCommands.js)
// so that `inspect` and `plan` do not parse ssh2 and friends on every start.
export { bundleCommand } from './bundleCommand';
export { deployCommand, undeployCommand } from './deployCommand';
export { fitCommand } from './fitCommand';
export { netprobeCommand } from './netprobeCommand';
export { profileCommand } from './profileCommand';
export { serveCommand } from './serveCommand';
export { splitCommand } from './splitCommand';
