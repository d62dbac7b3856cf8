import { render } from 'preact';
import '@picocss/pico/css/pico.min.css';
import 'uplot/dist/uPlot.min.css';

function App() {
  return <main class="container">odoo-stream</main>;
}
render(<App />, document.getElementById('app')!);
