/** Upkeep of the LangGraph checkpointer's tables (optional: the engine skips it when absent). */
export interface CheckpointUpkeep {
  /** Drops checkpoints a finished turn no longer needs (keeps the latest per thread). */
  pruneCheckpoints(threadId: string): Promise<void>;
}
