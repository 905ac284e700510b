import { makeSampleBootImage } from './dist/test/helpers/real-media.js';
import { makeBootImageVariant } from './dist/test/helpers/boot-image-variants.js';
const s = await makeSampleBootImage('/tmp/s20/sample');
await makeBootImageVariant({ sampleTree: s.tree, dir: '/tmp/s20/v2023', loader: '/usr/lib/shim/shimx64.efi.signed', ex: { bootmgfw: '/tmp/s20/nested.efi', bootmgr: '/tmp/s20/one.efi' } });
