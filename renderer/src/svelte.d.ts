// Lets TypeScript (tsc -b) import .svelte components; vite-plugin-svelte compiles them.
declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<Record<string, unknown>>;
  export default component;
}
