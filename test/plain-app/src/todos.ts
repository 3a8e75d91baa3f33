export interface Todo {
  id: string;
  title: string;
  done: boolean;
}

const CACHE = 'todos';

/** The last list the server gave, kept for when it cannot answer. */
export function cacheTodos(todos: Todo[]): void {
  localStorage.setItem(CACHE, JSON.stringify(todos));
}

/** The cached list; with nothing cached there is nothing honest to show, so it throws. */
export function readCachedTodos(): Todo[] {
  const cached = localStorage.getItem(CACHE);
  if (cached === null) throw new Error('No saved copy of the list yet');
  return JSON.parse(cached) as Todo[];
}
