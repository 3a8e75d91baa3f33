import type { ExecutionContext, OutboxEntry } from '@bulletproof/core';
import { fetchOk } from '@bulletproof/core';
import {
  BulletproofProvider,
  ConnectivityIndicator,
  DegradationBanner,
  MessageCenter,
  OutboxPanel,
  useBulletproof,
  useOutbox,
} from '@bulletproof/react';
import { useCallback, useEffect, useRef, useState, type SubmitEvent } from 'react';
import { patchTodo, postTodo, protection, type NewTodo } from './protection.js';
import { cacheTodos, readCachedTodos, type Todo } from './todos.js';

function describe(entry: OutboxEntry): string {
  if (entry.type === 'todo.add') return `New todo “${(entry.payload as NewTodo).title}”`;
  return 'A ticked-off todo';
}

function Todos() {
  const [todos, setTodos] = useState<Todo[]>();
  const [source, setSource] = useState<'server' | 'cache'>();
  const [title, setTitle] = useState('');
  const { pending } = useOutbox();

  const load = useBulletproof(
    'load todos',
    function (this: ExecutionContext) {
      return fetchOk('/api/todos', { signal: this.signal }).then((res) => res.json() as Promise<Todo[]>);
    },
    { dependency: 'api', fallback: () => readCachedTodos() },
  );
  const { run: reload } = load;

  const add = useBulletproof(
    'add todo',
    function (this: ExecutionContext, todo: NewTodo) {
      return postTodo(todo, this.idempotencyKey, this.signal);
    },
    (todo) => ({
      dependency: 'api',
      offline: { type: 'todo.add', payload: todo },
      abortOnUnmount: false,
      keepAll: true,
    }),
  );

  const toggle = useBulletproof(
    'update todo',
    function (this: ExecutionContext, todo: Todo) {
      return patchTodo({ id: todo.id, done: !todo.done }, this.idempotencyKey, this.signal);
    },
    (todo) => ({
      dependency: 'api',
      offline: { type: 'todo.update', payload: { id: todo.id, done: !todo.done } },
      abortOnUnmount: false,
      keepAll: true,
    }),
  );

  const show = useCallback(() => {
    void reload().then((result) => {
      if (result.status === 'ok') {
        cacheTodos(result.value);
        setSource('server');
      } else if (result.status === 'fallback') {
        setSource('cache');
      } else return;
      setTodos(result.value);
    });
  }, [reload]);
  useEffect(show, [show]);

  // Read again once queued writes have been delivered.
  const waiting = useRef(pending.length);
  useEffect(() => {
    if (pending.length < waiting.current) show();
    waiting.current = pending.length;
  }, [pending.length, show]);

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const todo = { title: title.trim(), done: false };
    if (!todo.title) return;
    setTitle('');
    void add.run(todo).then((result) => {
      if (result.status === 'ok') setTodos((list) => [...(list ?? []), result.value]);
    });
  }

  function flip(todo: Todo) {
    setTodos((list) => list?.map((t) => (t.id === todo.id ? { ...t, done: !t.done } : t)));
    void toggle.run(todo);
  }

  return (
    <main>
      <form onSubmit={submit} aria-label="Add a todo">
        <input aria-label="New todo" value={title} onChange={(e) => setTitle(e.target.value)} />
        <button>Add</button>
      </form>
      {source === 'cache' && <p>Showing the copy saved on this device.</p>}
      {todos === undefined && load.state === 'failed' && (
        <p role="alert">The list can't be shown right now.</p>
      )}
      <ul aria-label="Todos" data-source={source}>
        {todos?.map((todo) => (
          <li key={todo.id}>
            <label>
              <input type="checkbox" checked={todo.done} onChange={() => flip(todo)} /> {todo.title}
            </label>
          </li>
        ))}
      </ul>
      <OutboxPanel hideWhenEmpty describe={describe} />
    </main>
  );
}

export function App() {
  return (
    <BulletproofProvider protection={protection}>
      <MessageCenter />
      <header>
        <h1>Todos</h1>
        <ConnectivityIndicator />
      </header>
      <DegradationBanner live={false} />
      <Todos />
    </BulletproofProvider>
  );
}
