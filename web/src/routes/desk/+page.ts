// Staff tokens live in the tab's session storage: nothing here is rendered on the server.
export const ssr = false
