/**
 * The TF.js worker: backend choice (and, once the model issue lands, activations and point clouds) runs here so
 * the page's main thread never blocks on a forward pass.
 */
import * as Comlink from 'comlink';
import { pickBackend, type BackendChoice } from '../src/model/backend';
import { registerBrowserBackend } from '../src/model/browserBackends';

export interface ModelApi {
  probeBackends(): Promise<BackendChoice>;
}

let choice: Promise<BackendChoice> | null = null;

const api: ModelApi = {
  probeBackends() {
    choice ??= pickBackend({ register: registerBrowserBackend });
    return choice;
  },
};

Comlink.expose(api);
