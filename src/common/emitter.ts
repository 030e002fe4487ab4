// One typed event source for the models and the supervisor: `on` returns its own
// unsubscribe, so a view that goes away takes exactly its listener with it. Pure.

export type Listener<T> = (value: T) => void;

export class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();

  /** Adds a listener; the returned function removes it (again: harmless). */
  on(l: Listener<T>): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Calls the listeners in the order they were added. A listener removed by an earlier one
   *  during the same emit is not called; one added during it is. */
  emit(value: T): void {
    for (const l of this.listeners) l(value);
  }

  clear(): void {
    this.listeners.clear();
  }
}
