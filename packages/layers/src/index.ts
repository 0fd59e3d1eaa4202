export { ACTIVATION_NAMES, applyActivation, type ActivationName } from './activations.js';
export { INITIALIZER_NAMES, computeFans, initialize, type InitializerName } from './initializers.js';
export { convOutputLength, deconvOutputLength, formatKerasShape, type Padding, type Shape } from './shape.js';
export { Layer, SymbolicTensor, snakeCase, type CallContext, type LayerArgs, type LayerSpec, type LayerWeight } from './layer.js';
export { LAYER_CLASS_NAMES, DEFAULT_LAYER_NAMES, type LayerClassName } from './layer-kinds.js';
export { layerClassNames, layerFromConfig, registerLayerClass } from './layer-registry.js';
export { LAYER_PROVIDERS, type LayerProvider } from './layer-providers.js';
export { Input, InputLayer, type InputLayerArgs } from './input-layer.js';
export { Rescaling, type RescalingArgs } from './rescaling.js';
export { Conv2D, type Conv2DArgs } from './conv2d.js';
export { MaxPooling2D } from './max-pooling2d.js';
export { AveragePooling2D } from './average-pooling2d.js';
export type { Pooling2DArgs } from './pooling2d.js';
export { GlobalAveragePooling2D, GlobalMaxPooling2D, type GlobalPooling2DArgs } from './global-pooling2d.js';
export { Dense, type DenseArgs } from './dense.js';
export { Flatten } from './flatten.js';
export { Dropout, type DropoutArgs } from './dropout.js';
export { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
export { UpSampling2D, type UpSampling2DArgs } from './up-sampling2d.js';
export { Conv2DTranspose, type Conv2DTransposeArgs } from './conv2d-transpose.js';
export { SeparableConv2D, type SeparableConv2DArgs } from './separable-conv2d.js';
export { Activation, type ActivationArgs } from './activation.js';
export { Add } from './add.js';
export { Concatenate, type ConcatenateArgs } from './concatenate.js';
export { Model, type ModelArgs, type ModelConfig, type NamedWeight, type PredictOptions } from './model.js';
export { Sequential, type LayerLike, type SequentialArgs } from './sequential.js';
export { formatSummary } from './summary.js';
export { LOSS_NAMES, computeLoss, resolveLoss, type LossName, type LossSpec } from './losses.js';
export { METRIC_NAMES, Accuracy, Auc, PrecisionRecall, createMetric, type LabelKind, type Metric, type MetricName } from './metrics.js';
export { OPTIMIZER_NAMES, Optimizer, type GradientUpdate, type OptimizerName, type OptimizerState } from './optimizers/optimizer.js';
export { Sgd, type SgdArgs } from './optimizers/sgd.js';
export { Rmsprop, type RmspropArgs } from './optimizers/rmsprop.js';
export { Adam, type AdamArgs } from './optimizers/adam.js';
export { AdamW, type AdamWArgs } from './optimizers/adamw.js';
export { createOptimizer, type OptimizerSpec } from './optimizers/create-optimizer.js';
export { nonFiniteWeight, trainStep, type Batch, type CompileArgs, type DataSource, type EvaluateOptions, type FitOptions } from './training.js';
export type { EngineStepResult, TrainingEngine } from './training-engine.js';
export type { BackupOptions, EpochProgress } from './epoch-progress.js';
export {
  DataParallelTrainer,
  MAX_DEFAULT_WORKERS,
  createDataParallelTrainer,
  defaultWorkerCount,
  type DataParallelOptions,
  type DataParallelTimings,
} from './data-parallel-trainer.js';
export { shardSizes, type WorkerSetupModule } from './data-parallel-protocol.js';
export type { Callback, Logs } from './callbacks/callback.js';
export { History } from './callbacks/history.js';
export { ProgressLogger, type ProgressLoggerOptions } from './callbacks/progress-logger.js';
export { seedCnn, type SeedCnnOptions } from './seed-cnn.js';
export { modelFromJson } from './model-from-json.js';
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
