// Injected by the bundler from package.json; `0.0.0-dev` when running from source (tests).
declare const __KQ_VERSION__: string | undefined;
export const version: string = typeof __KQ_VERSION__ === 'string' ? __KQ_VERSION__ : '0.0.0-dev';
