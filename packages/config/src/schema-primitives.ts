import { z } from "zod";

/** An integer number of milliseconds within bounds. */
export const ms = (min: number, max: number) => z.number().int().min(min).max(max);
