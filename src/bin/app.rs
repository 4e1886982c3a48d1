fn main() {
    yew::Renderer::<layerlens_web::App>::new().render();
}
