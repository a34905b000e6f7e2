/**
 * The page's views, declared once: the tab's label and the component, keyed by the ids of `VIEWS`
 * (src/state/viewState.ts, the URL's list). `Record<View, …>` makes a view without an entry a type error. The tabs,
 * their number keys and the panel all read this.
 */
import type { ComponentType } from 'react';
import type { View } from '../../state/viewState';
import type { ViewProps } from '../viewContext';
import { ImagesView } from './ImagesView';
import { LayersView } from './LayersView';
import { MapperView } from './MapperView';
import { PaperView } from './PaperView';
import { PersistenceView } from './PersistenceView';

export const VIEW_REGISTRY: Record<View, { label: string; Component: ComponentType<ViewProps> }> = {
  persistence: { label: 'Persistence', Component: PersistenceView },
  layers: { label: 'Layers', Component: LayersView },
  mapper: { label: 'Mapper', Component: MapperView },
  images: { label: 'Images', Component: ImagesView },
  paper: { label: 'Paper', Component: PaperView },
};
