// Browser-only entry of the EdgeCut graph view (Step 3 draws the layer graph here).
const root = document.getElementById('root');
if (root) root.textContent = 'EdgeCut';
