// Ink imports react-devtools-core statically but uses it only when DEV=true; the bundle
// aliases it to this empty module, so the devtools client is neither bundled nor loaded.
export default {};
