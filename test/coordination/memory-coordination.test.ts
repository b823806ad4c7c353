import { createMemoryCoordination } from '../../services/coordination/index.js';
import { coordinationContract } from './contract.js';

coordinationContract('in-memory', async () => {
  // Real time plus a hand-moved offset: leases and TTLs can be skipped past instantly, while
  // withLock's renewal timers still run in real time.
  let offset = 0;
  const store = createMemoryCoordination({ now: () => Date.now() + offset });
  return {
    a: store,
    b: store,
    elapse: async (ms) => {
      offset += ms;
    },
    breakLock: async () => {
      offset += 60_000;
    },
    close: () => store.close(),
  };
});
