import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { Layout } from './layout';
import { EntityPage } from './pages/entity-page';
import { PathsPage } from './pages/paths-page';
import { SearchPage } from './pages/search-page';
import { StatusPage } from './pages/status-page';

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <SearchPage /> },
      { path: '/search', element: <SearchPage /> },
      { path: '/entity/:type/:source/:nativeId', element: <EntityPage /> },
      { path: '/paths', element: <PathsPage /> },
      { path: '/status', element: <StatusPage /> },
    ],
  },
]);

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <RouterProvider router={router} />
    </StrictMode>,
  );
