export { ACTIVATION_NAMES, applyActivation, type ActivationName } from './activations/activations.js';
export { INITIALIZER_NAMES, computeFans, initialize, type InitializerName } from './initializers/initializers.js';
export { convOutputLength, deconvOutputLength, formatKerasShape, type Padding, type Shape } from './utils/shape.js';
export { Layer, SymbolicTensor, snakeCase, type CallContext, type LayerArgs, type LayerSpec, type LayerWeight } from './layers/layer.js';
export { LAYER_CLASS_NAMES, DEFAULT_LAYER_NAMES, type LayerClassName } from './layers/layer-kinds.js';
export { layerClassNames, layerFromConfig, registerLayerClass } from './layers/layer-registry.js';
export { LAYER_PROVIDERS, type LayerProvider } from './layers/layer-providers.js';
export { Input, InputLayer, type InputLayerArgs } from './layers/input-layer.js';
export { Rescaling, type RescalingArgs } from './layers/rescaling.js';
export { Conv2D, type Conv2DArgs } from './layers/conv2d.js';
export { MaxPooling2D } from './layers/max-pooling2d.js';
export { AveragePooling2D } from './layers/average-pooling2d.js';
export type { Pooling2DArgs } from './layers/pooling2d.js';
export { GlobalAveragePooling2D, GlobalMaxPooling2D, type GlobalPooling2DArgs } from './layers/global-pooling2d.js';
export { Dense, type DenseArgs } from './layers/dense.js';
export { Flatten } from './layers/flatten.js';
export { Dropout, type DropoutArgs } from './layers/dropout.js';
export { BatchNormalization, type BatchNormalizationArgs } from './layers/batch-normalization.js';
export { UpSampling2D, type UpSampling2DArgs } from './layers/up-sampling2d.js';
export { Conv2DTranspose, type Conv2DTransposeArgs } from './layers/conv2d-transpose.js';
export { SeparableConv2D, type SeparableConv2DArgs } from './layers/separable-conv2d.js';
export { Activation, type ActivationArgs } from './layers/activation.js';
export { Add } from './layers/add.js';
export { Concatenate, type ConcatenateArgs } from './layers/concatenate.js';
export { Model, type ModelArgs, type ModelConfig, type NamedWeight, type PredictOptions } from './models/model.js';
export { Sequential, type LayerLike, type SequentialArgs } from './models/sequential.js';
export { formatSummary } from './models/summary.js';
export { LOSS_NAMES, computeLoss, resolveLoss, type LossName, type LossSpec } from './losses/losses.js';
export { METRIC_NAMES, Accuracy, Auc, PrecisionRecall, createMetric, type LabelKind, type Metric, type MetricName } from './metrics/metrics.js';
export { OPTIMIZER_NAMES, Optimizer, type GradientUpdate, type OptimizerName, type OptimizerState } from './optimizers/optimizer.js';
export { Sgd, type SgdArgs } from './optimizers/sgd.js';
export { Rmsprop, type RmspropArgs } from './optimizers/rmsprop.js';
export { Adam, type AdamArgs } from './optimizers/adam.js';
export { AdamW, type AdamWArgs } from './optimizers/adamw.js';
export { createOptimizer, type OptimizerSpec } from './optimizers/create-optimizer.js';
export { nonFiniteWeight, trainStep, type Batch, type CompileArgs, type DataSource, type EvaluateOptions, type FitOptions } from './training/trainer.js';
export type { EngineStepResult, TrainingEngine } from './training/training-engine.js';
export {
  ENGINE_KINDS,
  chooseTrainingEngine,
  type ChooseTrainingEngineOptions,
  type ChosenTrainingEngine,
  type EngineKind,
} from './training/choose-training-engine.js';
export type { BackupOptions, EpochProgress } from './training/epoch-progress.js';
export {
  DataParallelTrainer,
  MAX_DEFAULT_WORKERS,
  createDataParallelTrainer,
  defaultWorkerCount,
  type DataParallelOptions,
  type DataParallelTimings,
} from './training/data-parallel-trainer.js';
export { shardSizes, type WorkerSetupModule } from './training/data-parallel-protocol.js';
export type { Callback, Logs } from './callbacks/callback.js';
export { History } from './callbacks/history.js';
export { ProgressLogger, type ProgressLoggerOptions } from './callbacks/progress-logger.js';
export { seedCnn, type SeedCnnOptions } from './models/seed-cnn.js';
export { modelFromJson } from './models/model-from-json.js';
export { isImprovement } from './callbacks/callback.js';
export { EarlyStopping, type EarlyStoppingOptions } from './callbacks/early-stopping.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './callbacks/reduce-lr-on-plateau.js';
export { LearningRateScheduler } from './callbacks/learning-rate-scheduler.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './callbacks/model-checkpoint.js';
export { decodeSafetensors, encodeSafetensors, readSafetensorsHeader, type SafetensorsEntry, type SafetensorsHeader, type StoredTensor } from './io/safetensors.js';
export { DEFAULT_LOAD_LIMITS, loadLimits, type LoadLimits } from './io/load-limits.js';
export {
  DEFAULT_PREPROCESSING,
  MODEL_FILE,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  WEIGHTS_FILE,
  loadModel,
  modelFromArtifacts,
  modelJson,
  parseModelJson,
  saveModel,
  type ModelJson,
  type ModelMetadata,
} from './io/saved-model.js';
export { loadCheckpoint, saveCheckpoint, OPTIMIZER_FILE, STATE_FILE, type TrainingState } from './io/checkpoint.js';
