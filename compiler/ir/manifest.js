export const MANIFEST_VERSION = 1;
/** What every generated BEGIN block prints first; never shown to the user as output. */
export const READY_MARKER = "__probec_ready__";
