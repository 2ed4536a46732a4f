import { type Feature, withNothing } from "../common/handler-table.ts"
import {
  cancelBroadcast,
  changeAudience,
  chooseAudience,
  confirmBroadcast,
  draftBroadcast,
} from "./broadcast.ts"

/** A message to many students: /broadcast drafts it, its buttons choose who gets it and send it. */
export const BROADCAST: Feature<"Audience" | "ChangeAudience" | "SendBroadcast" | "CancelBroadcast"> = {
  commands: [
    {
      command: "broadcast",
      audience: "admins",
      description: "پیام همگانی: /broadcast متن پیام",
      run: (context, argument) =>
        withNothing(draftBroadcast(context.who.chatId, context.who.userId, argument)),
    },
  ],
  buttons: {
    Audience: {
      audience: "admins",
      run: (action, pressed) => chooseAudience(pressed, action.broadcastId, action.audience),
    },
    ChangeAudience: {
      audience: "admins",
      run: (action, pressed) => changeAudience(pressed, action.broadcastId),
    },
    SendBroadcast: {
      audience: "admins",
      run: (action, pressed) => confirmBroadcast(pressed, action.broadcastId),
    },
    CancelBroadcast: {
      audience: "admins",
      run: (action, pressed) => cancelBroadcast(pressed, action.broadcastId),
    },
  },
  menu: {},
}
