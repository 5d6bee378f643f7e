// Preload for profiling a process the bench starts and stops (the API, a worker):
//   CPU_PROFILE_DIR=/tmp/prof NODE_OPTIONS="--require ./bench/tools/cpu-profile-preload.js" npm run bench -- api
// Samples the whole process from start and writes <dir>/<script>-<pid>.cpuprofile when it is told
// to stop (SIGTERM, SIGINT) or exits. `node --cpu-prof` alone writes nothing when a framework
// re-raises the signal after its shutdown hooks (NestJS does), so the profile is taken here.
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: Number(process.env.CPU_PROFILE_INTERVAL_US || 1000) });
  session.post('Profiler.start');
  let written = false;
  // On the main thread the session answers synchronously, so this works inside a signal handler and on exit.
  const write = () => {
    if (written) return;
    written = true;
    session.post('Profiler.stop', (err, result) => {
      if (err || !result) return;
      fs.mkdirSync(dir, { recursive: true });
      const name = path.basename(process.argv[1] || 'node').replace(/\.[jt]s$/, '');
      fs.writeFileSync(path.join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  for (const signal of ['SIGTERM', 'SIGINT']) {
    const onSignal = () => {
      write();
      // Alone: behave as if nobody listened (terminate); otherwise the app's own handlers carry on.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.prependListener(signal, onSignal);
  }
  process.on('exit', write);
}
