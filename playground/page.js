// The playground page: shows the chosen persona's chat (HTML rendered by the server, see chat-view.ts)
// and turns clicks and typing into that persona's actions. Plain browser JavaScript, no build step.

const API = "/playground/api"
const byId = (id) => document.getElementById(id)
const messages = byId("messages")
const keyboard = byId("keyboard")
const commands = byId("commands")
const personaSelect = byId("persona")
const textBox = byId("text")
const toast = byId("toast")
const record = byId("record")

let persona = 0
let version = 0
let lastToast = -1
let shownPersonas = ""
const shown = { messages: "", keyboard: "", commands: "" }
let waiting = new AbortController()
let toastTimer = 0

const post = (path, body, headers = { "content-type": "application/json" }) =>
  fetch(`${API}/chat/${persona}/${path}`, { method: "POST", headers, body }).then(async (response) => {
    if (!response.ok) showToast((await response.json().catch(() => ({}))).error ?? `${response.status}`)
  })

const send = (text) => post("text", JSON.stringify({ text }))

const showToast = (text, alert = false) => {
  toast.textContent = text
  toast.classList.add("shown")
  clearTimeout(toastTimer)
  toastTimer = setTimeout(() => toast.classList.remove("shown"), alert ? 5000 : 2500)
}

const showPersonas = (list) => {
  const key = JSON.stringify(list)
  if (key === shownPersonas) return
  shownPersonas = key
  personaSelect.replaceChildren()
  for (const [role, label] of [
    ["student", "دانش‌آموزان"],
    ["admin", "مدیران (ADMIN_USER_IDS)"],
  ]) {
    const group = document.createElement("optgroup")
    group.label = label
    for (const person of list.filter((candidate) => candidate.role === role)) {
      group.append(new Option(`${person.name} · ${person.id}`, String(person.id)))
    }
    if (group.children.length > 0) personaSelect.append(group)
  }
  personaSelect.value = String(persona)
}

const render = (state) => {
  showPersonas(state.personas)
  // compared with what we last put there: innerHTML reads back in the browser's own spelling
  for (const [part, element] of [
    ["messages", messages],
    ["keyboard", keyboard],
    ["commands", commands],
  ]) {
    if (shown[part] === state[part]) continue
    shown[part] = state[part]
    element.innerHTML = state[part]
  }
  messages.scrollTop = messages.scrollHeight
  personaSelect.value = String(persona)
  // Telegram shows the menu button only when the bot has set commands
  byId("menu").hidden = state.commands === ""
  const file = state.record.path.split("/").pop()
  record.textContent = state.record.saved ? `✓ ذخیره شد: ${file}` : `هنوز ثبت‌نام نشده (${file})`
  record.classList.toggle("saved", state.record.saved)
  record.href = `${API}/chat/${persona}/record`
  record.title = state.record.path
  const news = state.toast
  if (news !== null && lastToast >= 0 && news.id > lastToast) showToast(news.text, news.alert)
  lastToast = news === null ? Math.max(lastToast, 0) : news.id
}

/** Long polling: the server answers when something changed (or after a while), then we ask again. */
const follow = async () => {
  for (;;) {
    const asked = persona
    try {
      const response = await fetch(`${API}/chat/${asked}/since/${version}`, { signal: waiting.signal })
      if (!response.ok) throw new Error(`${response.status}`)
      const state = await response.json()
      if (asked !== persona) continue
      version = state.version
      render(state)
    } catch {
      if (asked !== persona) continue
      await new Promise((resume) => setTimeout(resume, 1000))
    }
  }
}

const actAs = (id) => {
  if (id === persona) return
  persona = id
  version = 0
  lastToast = -1
  history.replaceState(null, "", `#${id}`)
  personaSelect.value = String(id)
  for (const part of Object.keys(shown)) shown[part] = ""
  messages.replaceChildren()
  keyboard.replaceChildren()
  waiting.abort()
  waiting = new AbortController()
}

document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-action], .spoiler")
  if (target === null) return
  if (target.classList.contains("spoiler")) {
    target.classList.add("revealed")
    return
  }
  event.preventDefault()
  const { action } = target.dataset
  if (action === "send") send(target.dataset.text)
  if (action === "contact") post("contact", "{}")
  if (action === "press") {
    post("button", JSON.stringify({ messageId: Number(target.dataset.messageId), data: target.dataset.data }))
  }
  commands.classList.remove("open")
})

byId("composer").addEventListener("submit", (event) => {
  event.preventDefault()
  const text = textBox.value
  if (text.trim() === "") return
  textBox.value = ""
  send(text)
})

byId("photo-input").addEventListener("change", async (event) => {
  const file = event.target.files[0]
  if (file === undefined) return
  const caption = textBox.value.trim()
  textBox.value = ""
  event.target.value = ""
  await post("photo", await file.arrayBuffer(), {
    "content-type": file.type || "image/jpeg",
    "x-caption": encodeURIComponent(caption),
  })
})

byId("menu").addEventListener("click", () => commands.classList.toggle("open"))
personaSelect.addEventListener("change", () => actAs(Number(personaSelect.value)))
byId("new-student").addEventListener("click", async () => {
  const response = await fetch(`${API}/students`, { method: "POST" })
  const { id } = await response.json()
  actAs(id)
})

const start = async () => {
  const list = await (await fetch(`${API}/personas`)).json()
  const wanted = Number(location.hash.slice(1))
  persona = list.some((person) => person.id === wanted) ? wanted : list[0].id
  showPersonas(list)
  personaSelect.value = String(persona)
  follow()
}

start()
