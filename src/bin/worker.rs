fn main() {
    layerlens_web::worker::start();
}
