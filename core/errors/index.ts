export * from './base.js';
export * from './body.js';
export * from './profile.js';
export * from './artifact.js';
export * from './run.js';
export * from './storage.js';
export * from './scalerMemory.js';
