export * from './base.js';
export * from './body.js';
export * from './profile.js';
