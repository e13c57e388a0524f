// Which file names are images (.png, .jpg, .jpeg, any case; not dot-files): here, apart from the readers, so
// that `lithe check` can judge a `data images` folder without loading the image decoders.
import { extname } from 'node:path';

export const IMAGE_EXTENSIONS: readonly string[] = ['.jpeg', '.jpg', '.png'];

export const isImageName = (name: string): boolean => !name.startsWith('.') && IMAGE_EXTENSIONS.includes(extname(name).toLowerCase());
