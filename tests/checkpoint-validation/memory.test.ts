import { createMemoryStorage } from '@dreamdeck/core';
import { validateCheckpointer } from '../support/checkpoint-validation.js';

// LangGraph's validation suite against the checkpointer of the reference memory storage (a MemorySaver).
// Known skip kept (upstream's, for MemorySaver): "should only store channel_values that have changed
// (based on newVersions)": MemorySaver stores whole channel values on every put, not deltas.
validateCheckpointer({
  label: 'createMemoryStorage().checkpointer',
  upstreamName: 'MemorySaver',
  create: async () => createMemoryStorage().checkpointer,
});
