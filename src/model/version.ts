/**
 * The engine's version, as the package declares it (a test keeps the two equal). Kept in code
 * rather than read from package.json so that a browser bundle (the self-check page) can state
 * which engine decided its results.
 */
export const ENGINE_VERSION = '0.1.0';
