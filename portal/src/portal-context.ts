import { createContext, useContext } from 'react';
import type { PortalConfig } from './api';

export interface Portal {
  readonly config: PortalConfig;
  readonly signOut: () => void;
}

export const PortalContext = createContext<Portal | null>(null);

export function usePortal(): Portal {
  const portal = useContext(PortalContext);
  if (!portal) throw new Error('usePortal outside the layout');
  return portal;
}
