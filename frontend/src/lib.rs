//! The WebAssembly entry point: hydrates the server-rendered pages.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The page's texts, which the server wrote into it: hydration needs them.
    app::i18n::load();
    leptos::mount::hydrate_body(app::App);
    app::HYDRATED.store(true, std::sync::atomic::Ordering::Relaxed);
    // A mark the end-to-end tests wait for: clicks now run the client code.
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &"__portal_hydrated".into(), &true.into());
        // When, in ms since navigation: the Slow 4G benchmark reports it.
        if let Some(now) = w.performance().map(|p| p.now()) {
            let _ = js_sys::Reflect::set(&w, &"__portal_hydrated_at".into(), &now.into());
        }
    }
}
