import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = dirname(fileURLToPath(import.meta.url));

/**
 * Every name `@cnnkit/layers` exports, types included. Moving files inside src must not
 * change it; a deliberate change to the public surface edits this list in the same commit.
 */
const PUBLIC_EXPORTS = [
  'ACTIVATION_NAMES', 'Accuracy', 'Activation', 'ActivationArgs', 'ActivationName', 'Adam', 'AdamArgs', 'AdamW', 'AdamWArgs', 'Add', 'Auc',
  'AveragePooling2D', 'BackupOptions', 'Batch', 'BatchNormalization', 'BatchNormalizationArgs', 'CallContext', 'Callback', 'CompileArgs',
  'ChooseTrainingEngineOptions', 'ChosenTrainingEngine', 'Concatenate', 'ConcatenateArgs', 'Conv2D', 'Conv2DArgs', 'Conv2DTranspose', 'Conv2DTransposeArgs', 'DEFAULT_LAYER_NAMES', 'DEFAULT_LOAD_LIMITS',
  'DEFAULT_PREPROCESSING', 'DataParallelOptions', 'DataParallelTimings', 'DataParallelTrainer', 'DataSource', 'Dense', 'DenseArgs', 'Dropout',
  'DropoutArgs', 'ENGINE_KINDS', 'EarlyStopping', 'EarlyStoppingOptions', 'EngineKind', 'EngineStepResult', 'EpochProgress', 'EvaluateOptions', 'FitOptions', 'Flatten',
  'GlobalAveragePooling2D', 'GlobalMaxPooling2D', 'GlobalPooling2DArgs', 'GradientUpdate', 'History', 'INITIALIZER_NAMES', 'InitializerName',
  'Input', 'InputLayer', 'InputLayerArgs', 'LAYER_CLASS_NAMES', 'LAYER_PROVIDERS', 'LOSS_NAMES', 'LabelKind', 'Layer', 'LayerArgs',
  'LayerClassName', 'LayerLike', 'LayerProvider', 'LayerSpec', 'LayerWeight', 'LearningRateScheduler', 'LoadLimits', 'Logs', 'LossName',
  'LossSpec', 'MAX_DEFAULT_WORKERS', 'METRIC_NAMES', 'MODEL_FILE', 'MODEL_FORMAT', 'MODEL_FORMAT_VERSION', 'MaxPooling2D', 'Metric',
  'MetricName', 'Model', 'ModelArgs', 'ModelCheckpoint', 'ModelCheckpointOptions', 'ModelConfig', 'ModelJson', 'ModelMetadata', 'NamedWeight',
  'OPTIMIZER_FILE', 'OPTIMIZER_NAMES', 'Optimizer', 'OptimizerName', 'OptimizerSpec', 'OptimizerState', 'Padding', 'Pooling2DArgs',
  'PrecisionRecall', 'PredictOptions', 'ProgressLogger', 'ProgressLoggerOptions', 'ReduceLROnPlateau', 'ReduceLROnPlateauOptions', 'Rescaling',
  'RescalingArgs', 'Rmsprop', 'RmspropArgs', 'STATE_FILE', 'SafetensorsEntry', 'SafetensorsHeader', 'SeedCnnOptions', 'SeparableConv2D',
  'SeparableConv2DArgs', 'Sequential', 'SequentialArgs', 'Sgd', 'SgdArgs', 'Shape', 'StoredTensor', 'SymbolicTensor', 'TrainingEngine',
  'TrainingState', 'UpSampling2D', 'UpSampling2DArgs', 'WEIGHTS_FILE', 'WorkerSetupModule', 'applyActivation', 'chooseTrainingEngine', 'computeFans', 'computeLoss',
  'convOutputLength', 'createDataParallelTrainer', 'createMetric', 'createOptimizer', 'decodeSafetensors', 'deconvOutputLength',
  'defaultWorkerCount', 'encodeSafetensors', 'formatKerasShape', 'formatSummary', 'initialize', 'isImprovement', 'layerClassNames',
  'layerFromConfig', 'loadCheckpoint', 'loadLimits', 'loadModel', 'modelFromArtifacts', 'modelFromJson', 'modelJson', 'nonFiniteWeight',
  'parseModelJson', 'readSafetensorsHeader', 'registerLayerClass', 'resolveLoss', 'saveCheckpoint', 'saveModel', 'seedCnn', 'shardSizes',
  'snakeCase', 'trainStep',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'test-utils' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.includes('.test.') ? [path] : [];
  });
}

interface Edge {
  to: string;
  /** An `import type` (or every name imported as a type): erased when compiled. */
  typeOnly: boolean;
}

/** The files of this package each file imports (static, re-exports and dynamic `import()`). */
function importGraph(): Map<string, Edge[]> {
  const graph = new Map<string, Edge[]>();
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const edges: Edge[] = [];
    const add = (specifier: string, typeOnly: boolean) => {
      if (!specifier.startsWith('.')) return;
      edges.push({ to: relative(src, resolve(dirname(file), specifier.replace(/\.js$/, '.ts'))), typeOnly });
    };
    const visit = (node: ts.Node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const clause = node.importClause;
        const named = clause?.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
        const typeOnly = clause !== undefined && (clause.isTypeOnly || (clause.name === undefined && named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly)));
        add(node.moduleSpecifier.text, typeOnly);
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
        const named = node.exportClause !== undefined && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
        add(node.moduleSpecifier.text, node.isTypeOnly || (named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly)));
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
        add(node.arguments[0].text, false);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    graph.set(relative(src, file), edges);
  }
  return graph;
}

/** One cycle through `edges` if there is any, else null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const walk = (node: string): string[] | null => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const found = walk(next);
        if (found !== null) return found;
      }
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    if (state.get(node) === undefined) {
      const found = walk(node);
      if (found !== null) return found;
    }
  }
  return null;
}

describe('the layers package, as other code sees it', () => {
  it('exports exactly the pinned public names (types included)', () => {
    const index = join(src, 'index.ts');
    const program = ts.createProgram([index], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, types: ['node'] });
    const checker = program.getTypeChecker();
    const symbol = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
    expect(checker.getExportsOfModule(symbol).map((s) => s.name).sort()).toEqual([...PUBLIC_EXPORTS].sort());
  });

  it('no two files import each other, not even for types', () => {
    const graph = importGraph();
    const pairs: string[] = [];
    for (const [file, edges] of graph) {
      for (const { to } of edges) if (file < to && (graph.get(to) ?? []).some((e) => e.to === file)) pairs.push(`${file} <-> ${to}`);
    }
    expect([...new Set(pairs)]).toEqual([]);
  });

  it('no cycle of value imports at any length, so module evaluation order never matters', () => {
    const graph = importGraph();
    const values = new Map([...graph].map(([file, edges]) => [file, edges.filter((e) => !e.typeOnly).map((e) => e.to)]));
    expect(findCycle(values)).toBeNull();
  });

  it('the checks see real edges: the graph has every source file and the edge from the model to the training loop', () => {
    const graph = importGraph();
    expect(graph.size).toBe(sourceFiles(src).length);
    expect(graph.get(join('models', 'model.ts'))?.some((e) => e.to === join('training', 'trainer.ts') && !e.typeOnly)).toBe(true);
    expect(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a', 'b', 'c', 'a']);
  });
});
