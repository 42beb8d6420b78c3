// Renderer entry: mounts the app (which picks the bridge this page has: Electron or serve mode).
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

mount(App, { target: document.getElementById('app')! });
