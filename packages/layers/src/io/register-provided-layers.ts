import { CnnkitError } from '@cnnkit/tensor-core';
import { layerClassNames } from '../layers/layer-registry.js';
import { providerOf, type LayerProvider } from '../layers/layer-providers.js';

/** The layer class names an architecture (model.json's, parsed) uses, Sequential and functional alike, without judging the rest. */
export function architectureClassNames(architecture: unknown): string[] {
  const layers = (architecture as { config?: { layers?: unknown } } | null)?.config?.layers;
  if (!Array.isArray(layers)) return [];
  const names = new Set<string>();
  for (const layer of layers) {
    const className = (layer as { className?: unknown } | null)?.className;
    if (typeof className === 'string') names.add(className);
  }
  return [...names];
}

export type ModuleImporter = (specifier: string) => Promise<Record<string, unknown>>;

// The specifier is a variable so bundlers leave it alone: a page bundles only what it imports itself.
const importModule: ModuleImporter = (specifier) => import(/* @vite-ignore */ specifier) as Promise<Record<string, unknown>>;

/**
 * Registers, by calling their packages' registration functions, the provided classes
 * among `classNames` that are not registered yet. Registering stays a call — this is the
 * loader making it, only for the classes the file names.
 */
export async function registerProvidedLayers(classNames: readonly string[], file: string, importer: ModuleImporter = importModule): Promise<void> {
  const known = new Set(layerClassNames());
  const wanted = new Map<LayerProvider, string[]>();
  for (const name of classNames) {
    const provider = known.has(name) ? undefined : providerOf(name);
    if (provider !== undefined) wanted.set(provider, [...(wanted.get(provider) ?? []), name]);
  }
  for (const [provider, names] of wanted) {
    const what = `layer class${names.length > 1 ? 'es' : ''} ${names.map((n) => `"${n}"`).join(', ')} from ${provider.package}`;
    let mod: Record<string, unknown>;
    try {
      mod = await importer(provider.package);
    } catch (error) {
      throw new CnnkitError(
        'LAYER_PACKAGE_MISSING',
        `${file}: the model uses ${what}, which cannot be imported here (${(error as Error).message.split('\n')[0]}); install it next to @cnnkit/layers (npm install ${provider.package}), or call ${provider.register}() from it before loading`,
      );
    }
    const register = mod[provider.register];
    if (typeof register !== 'function') {
      throw new CnnkitError('LAYER_PACKAGE_MISSING', `${file}: the model uses ${what}, but that package has no ${provider.register}(); install a ${provider.package} of the same version as @cnnkit/layers`);
    }
    (register as () => void)();
  }
}
