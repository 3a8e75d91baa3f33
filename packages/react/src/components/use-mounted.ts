import { useEffect, useState } from '../react.js';

/** False on the server and in the first client render (hydration matches), true after mount. */
export function useMounted(): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => {
    setMounted(true);
  }, []);
  return mounted;
}
