/** The product's name and version, shown by the server (serverInfo) and the CLI. */
export const PRODUCT_NAME = 'dockerfile-stages';
export const PRODUCT_VERSION = '0.1.0';
