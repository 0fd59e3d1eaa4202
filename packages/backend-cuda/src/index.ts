export { cudaBackend, TFJS_NODE_GPU, type CudaBackendOptions } from './cuda-backend.js';
