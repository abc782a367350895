// Stand-in for react-devtools-core, which ink loads only in development mode (see scripts/build.mjs).
export default { initialize() {}, connectToDevTools() {} };
