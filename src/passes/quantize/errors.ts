// The one error the quantize library throws for bad input (a model it cannot quantize, an unknown `keep`
// name, calibration batches of the wrong size): the message names the node, value or option.
import { LitheError } from '../../errors.ts';
export class QuantizeError extends LitheError {
  override name = 'QuantizeError';
}
