// The product's version. package.json is the one place it is written: the CLI's --version, the
// result and manifest's createdBy, and the log all read it from here, and `npm run package` stamps
// the same number into the PowerShell module's manifest.
import packageJson from '../package.json' with { type: 'json' };

export const VERSION: string = packageJson.version;
export const PRODUCT_NAME_AND_VERSION = `capture-media ${VERSION}`;
