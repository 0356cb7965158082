// The wallet lives in the browser (IndexedDB, WebCrypto): nothing of it is rendered on the server.
export const ssr = false
