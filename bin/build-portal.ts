/** `npm run portal:build`: builds the portal into dist/portal (npm start does it too, when its sources changed). */
import { buildPortal } from '../portal/build';

const { built, dir } = await buildPortal();
console.log(built ? `portal built into ${dir}` : `portal in ${dir} is up to date`);
